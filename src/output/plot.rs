//! SVG charts for reports, drawn with plotters' SVG backend (pure Rust, no fonts needed: text
//! is left to the browser). Every chart is returned as an SVG document in a string, so a
//! report can inline it (self-contained, offline) or write it beside as a file.

use plotters::prelude::*;

/// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
const COLOURS: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];

/// The colour of the `i`th series: the eight Okabe–Ito colours, then hues a golden angle apart
/// at alternating lightness, so no two series of a chart share a colour however many there are.
pub fn colour(i: usize) -> RGBColor {
    if i < COLOURS.len() {
        return COLOURS[i];
    }
    let k = i - COLOURS.len();
    let hue = (k as f64 * 137.508 + 20.0) % 360.0;
    let lightness = if k.is_multiple_of(2) { 0.38 } else { 0.55 };
    hsl(hue, 0.7, lightness)
}

/// An HSL colour (hue in degrees, saturation and lightness in 0–1) as RGB.
fn hsl(hue: f64, saturation: f64, lightness: f64) -> RGBColor {
    let c = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
    let h = hue / 60.0;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = lightness - c / 2.0;
    let byte = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    RGBColor(byte(r), byte(g), byte(b))
}

/// One line of a chart, optionally with a band (lower, upper) at each point.
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    pub band: Option<Vec<(f64, f64, f64)>>,
}

/// How the x axis is labelled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum XAxis {
    /// Whole numbers (years, counts).
    Integer,
    /// Decimals.
    Decimal,
}

/// Tick labels: as many decimals as the tick spacing needs, with a decimal comma if asked.
fn tick(x: f64, span: f64, comma: bool) -> String {
    let step = span / 10.0;
    let decimals = if step > 0.0 && step.is_finite() { (-step.log10().floor()).max(0.0) as usize } else { 2 };
    let s = format!("{x:.decimals$}");
    let s = if s.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
        s.trim_start_matches('-').to_string()
    } else {
        s.replace('-', "−")
    };
    if comma { s.replace('.', ",") } else { s }
}

/// Height of one legend row under a chart's plotting area.
const LEGEND_ROW: u32 = 22;

fn padded(lo: f64, hi: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    if (hi - lo).abs() < 1e-12 {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.05 };
        return (lo - pad, hi + pad);
    }
    let pad = (hi - lo) * 0.08;
    (lo - pad, hi + pad)
}

fn plot_error<E: std::fmt::Debug>(e: E) -> String {
    format!("drawing a chart failed: {e:?}")
}

/// A line chart of several series against a shared x axis.
pub fn line_chart(
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
    x_axis: XAxis,
    comma: bool,
) -> Result<String, String> {
    chart(title, x_label, y_label, series, x_axis, comma, 0.0)
}

/// A line chart whose y axis spans at least `min_span` (so that small differences on a long
/// scale are not blown up to fill the chart).
pub fn line_chart_spanning(
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
    x_axis: XAxis,
    comma: bool,
    min_span: f64,
) -> Result<String, String> {
    chart(title, x_label, y_label, series, x_axis, comma, min_span)
}

/// The smallest and largest x of the series' points.
fn x_range(series: &[Series]) -> (f64, f64) {
    series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)))
}

/// The y axis of the series (points and bands): padded, from zero if `from_zero` and no value
/// is below it, and at least `min_span` wide (centred on the values).
fn y_range(series: &[Series], min_span: f64, from_zero: bool) -> (f64, f64) {
    let (lo, hi) = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1).chain(s.band.iter().flatten().flat_map(|b| [b.1, b.2])))
        .filter(|y| y.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(y), b.max(y)));
    let (lo, hi) = if from_zero && lo >= 0.0 { (0.0, padded(lo, hi).1) } else { padded(lo, hi) };
    if hi - lo < min_span {
        let mid = (lo + hi) / 2.0;
        (mid - min_span / 2.0, mid + min_span / 2.0)
    } else {
        (lo, hi)
    }
}

// Private: the public functions name the cases (lines, spanning lines).
fn chart(
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
    x_axis: XAxis,
    comma: bool,
    min_span: f64,
) -> Result<String, String> {
    let (x_lo, x_hi) = x_range(series);
    let (x_lo, x_hi) = if x_lo < x_hi { (x_lo, x_hi) } else { padded(x_lo, x_hi) };
    let (y_lo, y_hi) = y_range(series, min_span, false);
    let legend = series.iter().any(|s| !s.label.is_empty());
    let rows = if legend { series.len() as u32 } else { 0 };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 420 + LEGEND_ROW * rows + 8 * u32::from(legend)))
            .into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        let (area, legend_area) = root.split_vertically(420);
        let mut chart = ChartBuilder::on(&area)
            .caption(title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(70)
            .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)
            .map_err(plot_error)?;
        let x_format = |x: &f64| match x_axis {
            XAxis::Integer => format!("{x:.0}"),
            XAxis::Decimal => tick(*x, x_hi - x_lo, comma),
        };
        chart
            .configure_mesh()
            .x_desc(x_label)
            .y_desc(y_label)
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 16))
            .x_label_formatter(&x_format)
            .x_labels(if x_axis == XAxis::Integer {
                ((x_hi - x_lo).round() as usize + 1).min(13)
            } else {
                10
            })
            .y_labels(7)
            .y_label_formatter(&|y| tick(*y, y_hi - y_lo, comma))
            .max_light_lines(0)
            .draw()
            .map_err(plot_error)?;
        for (i, s) in series.iter().enumerate() {
            let c = colour(i);
            if let Some(band) = &s.band {
                let mut polygon: Vec<(f64, f64)> = band.iter().map(|b| (b.0, b.2)).collect();
                polygon.extend(band.iter().rev().map(|b| (b.0, b.1)));
                chart
                    .draw_series(std::iter::once(Polygon::new(polygon, c.mix(0.15).filled())))
                    .map_err(plot_error)?;
            }
            let points: Vec<(f64, f64)> = s.points.iter().copied().filter(|p| p.1.is_finite()).collect();
            chart.draw_series(LineSeries::new(points.clone(), c.stroke_width(2))).map_err(plot_error)?;
            chart.draw_series(points.iter().map(|p| Circle::new(*p, 3, c.filled()))).map_err(plot_error)?;
        }
        if legend {
            // The legend has rows of its own under the chart, so it never hides a line and
            // long titles fit.
            for (i, s) in series.iter().enumerate() {
                let y = 8 + (LEGEND_ROW * i as u32) as i32;
                let c = colour(i);
                legend_area
                    .draw(&PathElement::new(vec![(80, y), (110, y)], c.stroke_width(4)))
                    .map_err(plot_error)?;
                legend_area
                    .draw(&Text::new(s.label.clone(), (120, y - 8), ("sans-serif", 15)))
                    .map_err(plot_error)?;
            }
        }
        root.present().map_err(plot_error)?;
    }
    Ok(svg)
}

/// A chart of values by year with their bands, written directly as SVG (a few hundred
/// elements, where a plotters chart costs as much as a large part of a run's set-up): for a
/// single run's report, which every `samspill run` writes. The same look as `line_chart`:
/// the series' colours, light grid, ticks in the language's decimals, the legend underneath.
pub fn year_bands(title: &str, y_label: &str, series: &[Series], min_span: f64, comma: bool) -> String {
    use std::fmt::Write as _;
    let (left, right, top, bottom) = (80.0, 740.0, 50.0, 330.0);
    let (x_lo, x_hi) = x_range(series);
    let (x_lo, x_hi) = if x_lo < x_hi { (x_lo, x_hi) } else { (x_lo - 1.0, x_lo + 1.0) };
    // Counts and rates (no minimum span asked) start at zero; a scale keeps its span.
    let (y_lo, y_hi) = y_range(series, min_span, min_span == 0.0);
    let x = |v: f64| left + (v - x_lo) / (x_hi - x_lo) * (right - left);
    let y = |v: f64| bottom - (v - y_lo) / (y_hi - y_lo) * (bottom - top);
    let legend = series.iter().filter(|s| !s.label.is_empty()).count() as f64;
    let height = bottom + 60.0 + 22.0 * legend;
    let mut svg = String::with_capacity(8192);
    let _ = write!(
        svg,
        "<svg width=\"760\" height=\"{height}\" viewBox=\"0 0 760 {height}\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\">\n<rect width=\"760\" height=\"{height}\" fill=\"#FFFFFF\"/>\n<text x=\"380\" y=\"28\" font-size=\"20\" text-anchor=\"middle\">{}</text>\n",
        xml(title)
    );
    // Y ticks at a round step giving about six lines.
    let raw = (y_hi - y_lo) / 6.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(raw);
    let mut v = (y_lo / step).ceil() * step;
    while v <= y_hi + 1e-9 {
        let _ = writeln!(
            svg,
            "<line x1=\"{left}\" x2=\"{right}\" y1=\"{0:.1}\" y2=\"{0:.1}\" stroke=\"#E3E3E3\"/><text x=\"{1}\" y=\"{2:.1}\" font-size=\"15\" text-anchor=\"end\">{3}</text>",
            y(v),
            left - 8.0,
            y(v) + 5.0,
            tick(v, step * 10.0, comma)
        );
        v += step;
    }
    let every = if x_hi - x_lo > 12.0 { 2.0 } else { 1.0 };
    let mut year = x_lo;
    while year <= x_hi + 1e-9 {
        let _ = writeln!(
            svg,
            "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{bottom}\" y2=\"{1}\" stroke=\"#666666\"/><text x=\"{0:.1}\" y=\"{2}\" font-size=\"15\" text-anchor=\"middle\">{3:.0}</text>",
            x(year),
            bottom + 5.0,
            bottom + 22.0,
            year
        );
        year += every;
    }
    let _ = write!(
        svg,
        "<line x1=\"{left}\" x2=\"{right}\" y1=\"{bottom}\" y2=\"{bottom}\" stroke=\"#000000\"/><line x1=\"{left}\" x2=\"{left}\" y1=\"{top}\" y2=\"{bottom}\" stroke=\"#000000\"/>\n<text x=\"20\" y=\"{0}\" font-size=\"16\" text-anchor=\"middle\" transform=\"rotate(-90 20 {0})\">{1}</text>\n",
        (top + bottom) / 2.0,
        xml(y_label)
    );
    let mut row = 0.0;
    for (i, s) in series.iter().enumerate() {
        let RGBColor(r, g, b) = colour(i);
        let rgb = format!("#{r:02X}{g:02X}{b:02X}");
        if let Some(band) = s.band.as_ref().filter(|b| !b.is_empty()) {
            let mut points = String::new();
            for (px, _, hi) in band {
                let _ = write!(points, "{:.1},{:.1} ", x(*px), y(*hi));
            }
            for (px, lo, _) in band.iter().rev() {
                let _ = write!(points, "{:.1},{:.1} ", x(*px), y(*lo));
            }
            let _ = writeln!(
                svg,
                "<polygon points=\"{}\" fill=\"{rgb}\" fill-opacity=\"0.15\"/>",
                points.trim_end()
            );
        }
        let mut line = String::new();
        for (px, py) in s.points.iter().filter(|p| p.1.is_finite()) {
            let _ = write!(line, "{:.1},{:.1} ", x(*px), y(*py));
        }
        let _ = writeln!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{rgb}\" stroke-width=\"2\"/>",
            line.trim_end()
        );
        if !s.label.is_empty() {
            let ly = bottom + 52.0 + 22.0 * row;
            row += 1.0;
            let _ = writeln!(
                svg,
                "<line x1=\"80\" x2=\"110\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{rgb}\" stroke-width=\"4\"/><text x=\"120\" y=\"{}\" font-size=\"15\">{}</text>",
                ly + 5.0,
                xml(&s.label)
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// Text escaped for SVG.
fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Estimates with 95 % intervals, one row each, against a vertical line at zero.
pub fn forest(
    title: &str,
    x_label: &str,
    rows: &[(String, f64, [f64; 2])],
    comma: bool,
) -> Result<String, String> {
    let lo = rows.iter().map(|r| r.2[0].min(r.1)).fold(0.0f64, f64::min);
    let hi = rows.iter().map(|r| r.2[1].max(r.1)).fold(0.0f64, f64::max);
    let (lo, hi) = padded(lo, hi);
    let n = rows.len().max(1);
    let height = 90 + 44 * n as u32;
    let mut svg = String::new();
    {
        // Room for the longest label (about 8 px a character at 15 px), beside a plot 480 px wide.
        let label_width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(8) as u32 * 8 + 20;
        let root = SVGBackend::with_string(&mut svg, (label_width + 500, height)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(label_width)
            .build_cartesian_2d(lo..hi, -0.5f64..(n as f64 - 0.5))
            .map_err(plot_error)?;
        let labels: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        let y_format = |y: &f64| {
            let i = y.round();
            if (y - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(n - 1 - i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .x_desc(x_label)
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 16))
            .y_labels(2 * n + 1)
            .y_label_formatter(&y_format)
            .x_label_formatter(&|x| tick(*x, hi - lo, comma))
            .disable_y_mesh()
            .max_light_lines(0)
            .draw()
            .map_err(plot_error)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
                BLACK.mix(0.5),
            )))
            .map_err(plot_error)?;
        for (i, (_, mid, [a, b])) in rows.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            let c = colour(i + 1);
            chart
                .draw_series(std::iter::once(PathElement::new(vec![(*a, y), (*b, y)], c.stroke_width(3))))
                .map_err(plot_error)?;
            chart.draw_series(std::iter::once(Circle::new((*mid, y), 5, c.filled()))).map_err(plot_error)?;
        }
        root.present().map_err(plot_error)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_svg_documents_with_their_labels() {
        let s = Series {
            label: "a".into(),
            points: vec![(2012.0, 4.1), (2013.0, 4.2)],
            band: Some(vec![(2012.0, 4.0, 4.2), (2013.0, 4.1, 4.3)]),
        };
        let svg = line_chart("Tittel", "År", "Samarbeid", &[s], XAxis::Integer, true).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("Tittel") && svg.contains("Samarbeid"));
        let svg = forest("Effekt", "endring", &[("reform".into(), 0.1, [0.05, 0.15])], true).unwrap();
        assert!(svg.contains("reform"));
    }

    #[test]
    fn year_bands_draw_each_series_with_its_band_and_legend() {
        let series = [
            Series {
                label: "all".into(),
                points: vec![(2012.0, 18.0), (2013.0, 20.5)],
                band: Some(vec![(2012.0, 16.0, 20.0), (2013.0, 18.0, 23.0)]),
            },
            Series { label: "forced <5".into(), points: vec![(2012.0, 5.0), (2013.0, 6.0)], band: None },
        ];
        let svg = year_bands("Exits & more", "per 100", &series, 0.0, true);
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert_eq!(svg.matches("<polygon").count(), 1);
        assert!(svg.contains("Exits &amp; more") && svg.contains("forced &lt;5"), "text is escaped");
        assert!(svg.contains(">2012<") && svg.contains(">2013<"), "a tick per year");
        assert!(svg.contains(">0<"), "rates start at zero");
    }

    #[test]
    fn ticks_use_the_decimals_the_spacing_needs() {
        assert_eq!(tick(4.2, 1.0, true), "4,2");
        assert_eq!(tick(4.0, 1.0, false), "4.0");
        assert_eq!(tick(2016.0, 20.0, false), "2016");
        assert_eq!(tick(-0.0001, 0.1, false), "0.00");
        assert_eq!(tick(-0.02, 0.1, true), "−0,02");
    }
}
