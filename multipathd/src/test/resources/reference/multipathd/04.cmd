multipathd show maps
