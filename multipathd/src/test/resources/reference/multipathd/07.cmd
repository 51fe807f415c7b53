multipathd show map mpatha topology
