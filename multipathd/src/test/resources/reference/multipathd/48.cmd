multipathd add path nosuch
