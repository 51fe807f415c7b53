multipathd show maps format %n %w %d %F %Q %N %r %t %S %f %x %h %A %0 %1 %2 %3 %4 %s %v %p %e %G %g
