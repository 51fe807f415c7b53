multipathd foo
