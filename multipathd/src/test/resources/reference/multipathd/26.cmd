multipathd show map nosuch topology
