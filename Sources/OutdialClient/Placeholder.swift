enum OutdialClientPlaceholder {}
