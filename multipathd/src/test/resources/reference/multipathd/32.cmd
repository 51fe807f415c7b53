multipathd fail path nosuch
