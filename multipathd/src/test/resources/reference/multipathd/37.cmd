multipathd show maps format %n %Q
