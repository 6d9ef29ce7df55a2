/// Lloyd iterations from `start` (centres in the points' coordinates) until a fixed
/// point, `options.tolerance` or `options.maxIterations`. Labels are kept by
/// distance bounds (BoundedAssignment): the labels of a full search at a
/// fraction of its cost. The first `options.fixed.count` centres of `start`
/// never move (their move is 0, so the bounds hold), nor are they reseeded when
/// empty. Requires `points.count >= start.count - options.fixed.count`.
public func lloyd(_ points: WeightedPoints, from start: [ColorPoint], options: KMeansOptions,
                  relativeTolerance: Double = 0, threads: Int = 1) -> KMeansRun {
    lloydLabelled(points, from: start, options: options, relativeTolerance: relativeTolerance, threads: threads).run
}

/// `lloyd`, with every point's label (its nearest of the run's centres).
func lloydLabelled(_ points: WeightedPoints, from start: [ColorPoint], options: KMeansOptions,
                   relativeTolerance: Double = 0, threads: Int = 1) -> (run: KMeansRun, labels: [Int32]) {
    var assignment = BoundedAssignment(points, start, threads: threads)
    return lloydLabelled(points, from: start, assignment: &assignment, options: options,
                         relativeTolerance: relativeTolerance, threads: threads)
}

/// `lloydLabelled` from an assignment already made to `start`. `giveUp`, when
/// given, sees each iteration's number (from 1) and J with every cluster at its
/// mean under that iteration's labels; when it says so the run stops there,
/// with J +inf (not measured).
func lloydLabelled(_ points: WeightedPoints, from start: [ColorPoint], assignment: inout BoundedAssignment,
                   options: KMeansOptions, relativeTolerance: Double = 0, threads: Int = 1,
                   giveUp: ((_ iteration: Int, _ cost: Double) -> Bool)? = nil) -> (run: KMeansRun, labels: [Int32]) {
    var centers = start
    let fixed = Array(start.prefix(options.fixed.count))
    var iterations = 0
    var lastCost = Double.infinity
    while iterations < options.maxIterations {
        var means = assignment.means()
        for j in fixed.indices { means[j] = fixed[j] }
        var moves = [Double](repeating: 0, count: centers.count)
        for j in centers.indices {
            guard let m = means[j] else { continue }
            let d = m - centers[j]
            moves[j] = (d * d).sum().squareRoot()
            centers[j] = m
        }
        let largest = moves.max() ?? 0
        iterations += 1
        let changed: Int
        if means.contains(where: { $0 == nil }) {
            reseedEmpty(points, &centers, means: means, labels: assignment.labels)
            changed = assignment.rescanAll(points, centers, threads: threads)
        } else {
            changed = assignment.update(points, centers, moves: moves, threads: threads)
        }
        if changed == 0 || largest <= options.tolerance { break }
        if let giveUp, giveUp(iterations, assignment.cost(fixed: fixed)) {
            return (KMeansRun(restart: 0, centers: centers, cost: .infinity, iterations: iterations), assignment.labels)
        }
        if relativeTolerance > 0 {
            let j = assignment.cost(fixed: fixed)
            if lastCost - j <= relativeTolerance * j { break }
            lastCost = j
        }
    }
    let labels = assignment.labels
    return (KMeansRun(restart: 0, centers: centers, cost: cost(points, centers, labels), iterations: iterations), labels)
}

/// J of centres under the given labels.
func cost(_ points: WeightedPoints, _ centers: [ColorPoint], _ labels: [Int32]) -> Double {
    var total = 0.0
    for i in 0..<points.count {
        let d = points.point(i) - centers[Int(labels[i])]
        total += points.weight[i] * (d * d).sum()
    }
    return total / points.totalWeight
}

/// Gives each empty cluster (nil mean) the point that costs most where it is.
func reseedEmpty(_ points: WeightedPoints, _ centers: inout [ColorPoint],
                 means: [ColorPoint?], labels: [Int32]) {
    var taken = Set<Int>()
    for j in centers.indices where means[j] == nil {
        var worst = 0, worstCost = -1.0
        for i in 0..<points.count where !taken.contains(i) {
            let d = points.point(i) - centers[Int(labels[i])]
            let e = points.weight[i] * (d * d).sum()
            if e > worstCost { worstCost = e; worst = i }
        }
        taken.insert(worst)
        centers[j] = points.point(worst)
    }
}
