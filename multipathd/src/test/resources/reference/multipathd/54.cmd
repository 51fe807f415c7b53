multipathd -kshow maps
