multipathd quit
