multipath -ll
