multipath -d -v3 -b /tmp/h2-bindings
