package siaga

import "time"

// WIB is Western Indonesia Time (UTC+7, no daylight saving), the time of
// Banten and of all Java and Sumatra: the time KPU's Sirekap timestamps
// are in, and the one officials read on pages and in SMS replies.
var WIB = time.FixedZone("WIB", 7*60*60)
