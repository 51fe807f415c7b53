multipathd show maps format %n %t
