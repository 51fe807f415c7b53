multipathd show maps raw format %n %d %w
