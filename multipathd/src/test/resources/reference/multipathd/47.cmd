multipathd del path nosuch
