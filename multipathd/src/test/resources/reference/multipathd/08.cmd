multipathd show maps status
