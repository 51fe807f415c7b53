multipathd list multipaths
