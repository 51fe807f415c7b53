multipathd show
