multipathd help
