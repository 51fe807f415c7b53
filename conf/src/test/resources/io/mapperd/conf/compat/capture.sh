#!/bin/sh
# Captures the reference output of Debian's multipath-tools 0.9.4 (package multipath-tools
# 0.9.4-3+deb12u2) for each directory here. multipath 0.9.4 has no option to name a config file
# (-c checks a device), and always reads /etc/multipath.conf and /etc/multipath/conf.d/*.conf, so
# each run happens in a private mount namespace where a copy of /etc carrying the fixture's
# multipath.conf and conf.d is bind-mounted over /etc. Run as root from this directory.
set -e
here=$(pwd)
multipath -t > default.out 2>/dev/null
for d in user dropin allkeywords warnings; do
	unshare -m --propagation private sh -c "
		mkdir -p /tmp/mpetc.$$ && cp -a /etc/. /tmp/mpetc.$$/ 2>/dev/null || true
		rm -rf /tmp/mpetc.$$/multipath /tmp/mpetc.$$/multipath.conf
		mkdir -p /tmp/mpetc.$$/multipath/conf.d
		cp $here/$d/multipath.conf /tmp/mpetc.$$/multipath.conf
		if [ -d $here/$d/conf.d ]; then cp $here/$d/conf.d/* /tmp/mpetc.$$/multipath/conf.d/; fi
		mount --bind /tmp/mpetc.$$ /etc
		multipath -t > $here/$d/expected.out 2> $here/$d/expected.err
	" || true
	rm -rf /tmp/mpetc.$$
done
