// Placeholder until the signer lands.
enum AWSSigV4Placeholder {}
