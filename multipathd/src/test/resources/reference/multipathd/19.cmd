multipathd show daemon
