/// Small pieces every outdial module shares and that depend on nothing else: UTC timestamps
/// (the signer, the simulator and the records), file-descriptor helpers, and clocks.
public enum OutdialBase {}
