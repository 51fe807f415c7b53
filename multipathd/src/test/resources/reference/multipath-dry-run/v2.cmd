multipath -d -v2 -b /tmp/h2-bindings
