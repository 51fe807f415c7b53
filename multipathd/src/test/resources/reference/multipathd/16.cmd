multipathd show path sdb
