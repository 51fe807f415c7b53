multipathd show paths format %d
