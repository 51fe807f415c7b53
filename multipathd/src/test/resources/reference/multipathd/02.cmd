multipathd show topology
