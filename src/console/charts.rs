//! The console's charts: SVG drawn on the server with plotters (no chart JavaScript). Each
//! chart goes into the page with a text alternative and a table of the same figures (see
//! `overview`).

use plotters::{
    prelude::*,
    style::text_anchor::{HPos, Pos, VPos},
};

/// A chart's size in SVG pixels (it scales with the page).
const SIZE: (u32, u32) = (760, 320);

/// One coloured series of a stacked bar chart: its name, colour and a value per bar.
pub(crate) struct Series<'a> {
    pub(crate) name: &'a str,
    pub(crate) color: RGBColor,
    pub(crate) values: Vec<u64>,
}

/// Stacked vertical bars, one per label (`labels[i]` under bar `i`), with a legend; the
/// vertical axis counts `unit`.
pub(crate) fn stacked_bars(
    labels: &[String],
    series: &[Series<'_>],
    unit: &str,
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let bars = labels.len().max(1);
        let highest = (0..labels.len())
            .map(|i| series.iter().map(|s| s.values[i]).sum::<u64>())
            .max()
            .unwrap_or(0)
            // At least 5, so that the axis counts in whole decisions.
            .max(5);
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d(0f64..bars as f64, 0f64..highest as f64 * 1.1)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_desc(unit)
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(("sans-serif", 14).into_font().color(&BLACK))
            .draw()
            .map_err(|e| e.to_string())?;
        // The bars' labels, centred under them; every few days when there are many.
        let every = labels.len().div_ceil(10).max(1);
        for (i, label) in labels.iter().enumerate().filter(|(i, _)| i % every == 0) {
            let (x, y) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
            root.draw(&Text::new(label.clone(), (x, y + 8), centred()))
                .map_err(|e| e.to_string())?;
        }
        let mut base = vec![0u64; labels.len()];
        for one in series {
            let bars = one.values.iter().enumerate().map(|(i, value)| {
                let bottom = base[i] as f64;
                let top = (base[i] + value) as f64;
                Rectangle::new(
                    [(i as f64 + 0.15, bottom), (i as f64 + 0.85, top)],
                    one.color.filled(),
                )
            });
            let color = one.color;
            chart
                .draw_series(bars)
                .map_err(|e| e.to_string())?
                .label(one.name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 12, y + 6)], color.filled())
                });
            for (i, value) in one.values.iter().enumerate() {
                base[i] += value;
            }
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .label_font(("sans-serif", 14).into_font().color(&BLACK))
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// Black 14 px text, centred horizontally, hanging from its position.
fn centred() -> TextStyle<'static> {
    ("sans-serif", 14)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top))
}

/// Horizontal bars of percentages (0–100), one per label, top to bottom.
pub(crate) fn percentages(
    labels: &[&str],
    percents: &[f64],
    color: RGBColor,
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let height = 60 + 44 * labels.len() as u32;
        let root = SVGBackend::with_string(&mut svg, (SIZE.0, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let rows = labels.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(32)
            .y_label_area_size(110)
            .build_cartesian_2d(0f64..100f64, 0f64..rows)
            .map_err(|e| e.to_string())?;
        let label_of = |y: &f64| {
            // Row 0 at the top.
            let index = (rows - y.ceil()) as usize;
            labels
                .get(index)
                .map(|l| (*l).to_owned())
                .unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(labels.len() * 2 + 1)
            .y_label_formatter(&|y| {
                // Only the middle of each row carries its name.
                if (y.fract() - 0.5).abs() < 0.01 {
                    label_of(y)
                } else {
                    String::new()
                }
            })
            .x_desc("% of decisions that allow it")
            .x_label_formatter(&|x| format!("{x:.0} %"))
            .label_style(("sans-serif", 14).into_font().color(&BLACK))
            .draw()
            .map_err(|e| e.to_string())?;
        // Row 0 at the top, its name left of its bar.
        for (i, label) in labels.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(0.0, rows - i as f64 - 0.5));
            let style = ("sans-serif", 14)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Right, VPos::Center));
            root.draw(&Text::new((*label).to_owned(), (x - 8, y), style))
                .map_err(|e| e.to_string())?;
        }
        chart
            .draw_series(percents.iter().enumerate().map(|(i, percent)| {
                let top = rows - i as f64 - 0.2;
                Rectangle::new(
                    [(0.0, top - 0.6), (percent.clamp(0.0, 100.0), top)],
                    color.filled(),
                )
            }))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_svg_with_their_labels() {
        let svg = stacked_bars(
            &["11-30".to_owned(), "12-01".to_owned()],
            &[Series {
                name: "accept all",
                color: RGBColor(31, 111, 74),
                values: vec![3, 5],
            }],
            "decisions",
        )
        .unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("accept all") && svg.contains("12-01"));
        assert!(!svg.contains("style="));
        let svg = percentages(
            &["statistics", "tracking"],
            &[40.0, 12.5],
            RGBColor(0, 0, 0),
        )
        .unwrap();
        assert!(svg.contains("statistics") && svg.contains("tracking"));
    }
}
