import OutdialBase
import Testing
