multipathd show map
