/// A figure: one or more panels in a grid, sized in inches, drawn by
/// gnuplot. It holds only data and labels; `gnuplotScript` turns it into
/// a script.
public struct Figure: Sendable, Hashable {
  /// The file stem, e.g. `curve-imdb-env-reward-mean`.
  public var name: String
  /// The panels, row-major in a grid `columns` wide.
  public var panels: [Panel]
  /// Panels per grid row, at least 1.
  public var columns: Int
  /// Width in inches (3.25 is a two-column paper's column).
  public var width: Double
  /// Height in inches.
  public var height: Double

  /// A figure.
  ///
  /// - Parameters:
  ///   - name: the file stem.
  ///   - panels: the panels, row-major.
  ///   - columns: panels per row, at least 1.
  ///   - width: width in inches, > 0.
  ///   - height: height in inches, > 0.
  public init(
    name: String, panels: [Panel], columns: Int = 1,
    width: Double = Figure.columnWidth, height: Double = 2.2
  ) {
    precondition(columns >= 1, "a figure needs at least one column")
    precondition(width > 0 && height > 0, "a figure needs a positive size")
    self.name = name
    self.panels = panels
    self.columns = columns
    self.width = width
    self.height = height
  }

  /// A two-column paper's column width, 3.25 in.
  public static let columnWidth = 3.25
  /// A two-column paper's text width, 6.75 in.
  public static let textWidth = 6.75

  /// One plot of a figure: axes labels and series.
  public struct Panel: Sendable, Hashable {
    /// The panel title, or `nil`.
    public var title: String?
    /// The x-axis label.
    public var xLabel: String
    /// The y-axis label.
    public var yLabel: String
    /// The x range, or `nil` for gnuplot's automatic range.
    public var xRange: ClosedRange<Double>?
    /// The spacing of x tics, or `nil` for gnuplot's choice.
    public var xTicStep: Double?
    /// The spacing of y tics, or `nil` for gnuplot's choice.
    public var yTicStep: Double?
    /// The series, drawn in order.
    public var series: [Series]

    /// A panel; see the properties.
    public init(
      title: String? = nil, xLabel: String, yLabel: String,
      xRange: ClosedRange<Double>? = nil, xTicStep: Double? = nil,
      yTicStep: Double? = nil, series: [Series]
    ) {
      self.title = title
      self.xLabel = xLabel
      self.yLabel = yLabel
      self.xRange = xRange
      self.xTicStep = xTicStep
      self.yTicStep = yTicStep
      self.series = series
    }
  }

  /// A series: a key title, a colour, a dash type and its data.
  public struct Series: Sendable, Hashable {
    /// The key entry; empty for none.
    public var title: String
    /// `#RRGGBB`; by convention `Algorithm.colour`.
    public var colour: String
    /// gnuplot's dash type, 1 (solid) … 5.
    public var dash: Int
    /// The data and how it is drawn.
    public var kind: Kind

    /// A series; see the properties.
    public init(title: String, colour: String, dash: Int = 1, kind: Kind) {
      self.title = title
      self.colour = colour
      self.dash = dash
      self.kind = kind
    }
  }

  /// How a series is drawn, with its data.
  public enum Kind: Sendable, Hashable {
    /// A line through `(x, y)` points, in order.
    case line([Point])
    /// A mean line with a shaded ± spread band (no band where the spread
    /// is `nil`, e.g. a single seed).
    case band([Point])
    /// Points joined by lines with ± spread error bars.
    case errorBars([Point])
    /// A density histogram of `values` in bins of `binWidth`, filled or
    /// drawn as outlines.
    case histogram(values: [Double], binWidth: Double, filled: Bool)
    /// A horizontal line at `y` across the panel.
    case horizontalLine(Double)
  }

  /// A data point with an optional ± spread (a standard deviation).
  public struct Point: Sendable, Hashable {
    /// The x value.
    public var x: Double
    /// The y value; NaN leaves a gap.
    public var y: Double
    /// The ± spread, or `nil`.
    public var spread: Double?

    /// A point.
    public init(x: Double, y: Double, spread: Double? = nil) {
      self.x = x
      self.y = y
      self.spread = spread
    }
  }
}
