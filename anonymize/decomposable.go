package anonymize

import "slices"

// decomposable reports whether the dimension sets of the tables form an
// acyclic hypergraph, by the GYO reduction: repeatedly drop a dimension
// that only one set holds, and a set contained in another (or empty);
// the sets are acyclic iff nothing remains.
//
// Why it matters: tables over an acyclic family that agree on their
// shared margins are always the margins of some full table (built one
// separator at a time), so a reader learns nothing beyond the equations
// of their union. Over a cycle (d0×d1, d0×d2, d1×d2) that fails: the
// full table's hidden cells, each at least zero, bound the listed ones
// (Fréchet bounds) in ways no equation of the union expresses.
func decomposable(tables []*Table) bool {
	edges := make([][]string, 0, len(tables))
	for _, t := range tables {
		edges = append(edges, slices.Clone(t.Dimensions))
	}
	for changed := true; changed; {
		edges, changed = gyoStep(edges)
	}
	return len(edges) == 0
}

// gyoStep applies one round of the GYO reduction and reports whether it
// changed anything.
func gyoStep(edges [][]string) ([][]string, bool) {
	count := map[string]int{}
	for _, e := range edges {
		for _, d := range e {
			count[d]++
		}
	}
	changed := false
	for i, e := range edges {
		kept := slices.DeleteFunc(e, func(d string) bool { return count[d] == 1 })
		changed = changed || len(kept) < len(e)
		edges[i] = kept
	}
	for i := 0; i < len(edges); i++ {
		if contained(edges, i) {
			edges = slices.Delete(edges, i, i+1)
			i--
			changed = true
		}
	}
	return edges, changed
}

// contained reports whether edges[i] is empty or a subset of another edge;
// of two equal edges, only the first counts as contained, so one stays.
func contained(edges [][]string, i int) bool {
	if len(edges[i]) == 0 {
		return true
	}
	for j, e := range edges {
		if j != i && subset(edges[i], e) && (len(e) > len(edges[i]) || j > i) {
			return true
		}
	}
	return false
}

func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}
