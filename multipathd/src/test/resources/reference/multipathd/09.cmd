multipathd show maps stats
