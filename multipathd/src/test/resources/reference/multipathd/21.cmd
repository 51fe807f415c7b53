multipathd sh pa
