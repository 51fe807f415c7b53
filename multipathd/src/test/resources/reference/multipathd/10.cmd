multipathd show maps topology
