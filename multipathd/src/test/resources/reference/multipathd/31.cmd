multipathd reinstate path sdb
