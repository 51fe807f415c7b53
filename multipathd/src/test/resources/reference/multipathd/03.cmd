multipathd show paths
