multipath -d -v2 -b /tmp/h2-bindings 360014055f0e7ab100004000800000000
