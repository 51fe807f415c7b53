multipathd fail path sdb
