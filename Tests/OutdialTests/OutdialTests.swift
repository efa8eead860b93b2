import Outdial
import Testing
