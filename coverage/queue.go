package coverage

// entry is a candidate in a lazy queue.
type entry struct {
	key   float64 // what orders the queue: gain, or gain per cost
	gain  float64 // the marginal gain as computed at round
	set   int32
	round int32 // the number of picks made when gain was computed
	// at and parked say where an entry of a bound's walk stands: its
	// index, in the queue or among the parked.
	at     int32
	parked bool
}

// queue is a binary max-heap of entries by key, the lowest set first among
// equal keys: ties go to the lowest index, as in the plain greedy. It is
// written out rather than built on container/heap because the bounds walk
// its array as a tree.
type queue []entry

// before reports whether entry i comes out before entry j.
func (q queue) before(i, j int) bool {
	if q[i].key != q[j].key {
		return q[i].key > q[j].key
	}
	return q[i].set < q[j].set
}

func (q queue) init() {
	for i := len(q)/2 - 1; i >= 0; i-- {
		q.down(i)
	}
}

func (q *queue) push(e entry) {
	*q = append(*q, e)
	q.up(len(*q) - 1)
}

func (q *queue) pop() entry {
	h := *q
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	*q = h[:last]
	q.down(0)
	return top
}

func (q queue) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !q.before(i, parent) {
			return
		}
		q[i], q[parent] = q[parent], q[i]
		i = parent
	}
}

// down moves entry i below the entries that come out before it.
func (q queue) down(i int) {
	for {
		first, l := i, 2*i+1
		if l < len(q) && q.before(l, first) {
			first = l
		}
		if r := l + 1; r < len(q) && q.before(r, first) {
			first = r
		}
		if first == i {
			return
		}
		q[i], q[first] = q[first], q[i]
		i = first
	}
}
