enum ConnectSimulatorPlaceholder {}
