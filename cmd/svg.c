/* svg.c — SVG charts for freq and cooccur, written directly: bars and a
 * heat map are rectangles at computed positions; text widths are estimated
 * from the display width (utf8proc through qda_text_width). */
#include <math.h>
#include <string.h>

#include "cmd.h"
#include "svg.h"

static const char *const palette[] = { "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
	                               "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac" };

static void esc(FILE *fp, const char *s)
{
	out_markup_escape(fp, s, 0);
}

static double text_px(const char *s, double size)
{
	return (double)qda_text_width(s ? s : "") * size * 0.56;
}

static void header(FILE *fp, double w, double h, const char *title)
{
	fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\""
	            " font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n",
	        w, h, w, h);
	fputs("<title>", fp);
	esc(fp, title);
	fputs("</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n", fp);
	fprintf(fp, "<text x=\"12\" y=\"22\" font-size=\"15\" font-weight=\"bold\">");
	esc(fp, title);
	fputs("</text>\n", fp);
}

void svg_bars(FILE *fp, const char *title, const char *unit, size_t rows, const char *const *row_labels,
              size_t series, const char *const *series_labels, const double *values,
              const char *const *value_labels, double max)
{
	double label_w = 0, bar_h = 14, gap = 10, plot_w = 420, top = 40, legend_h = series > 1 ? 24 : 0;
	double group_h = (double)series * bar_h + gap, w, h, x0;
	size_t r, s;

	for (r = 0; r < rows; r++)
		if (text_px(row_labels[r], 12) > label_w)
			label_w = text_px(row_labels[r], 12);
	if (max <= 0)
		for (r = 0; r < rows * series; r++)
			if (values[r] > max)
				max = values[r];
	if (max <= 0)
		max = 1;
	x0 = 16 + label_w + 8;
	w = x0 + plot_w + 70;
	h = top + legend_h + (double)rows * group_h + 36;
	header(fp, w, h, title);
	/* legend */
	for (s = 0; series > 1 && s < series; s++) {
		double lx = 16 + (double)s * 130;
		fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>", lx, top - 6,
		        palette[s % 10]);
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\">", lx + 16, top + 4);
		esc(fp, series_labels[s]);
		fputs("</text>\n", fp);
	}
	top += legend_h;
	/* axis */
	fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/>\n", x0, top - 4, x0,
	        top + (double)rows * group_h);
	for (r = 0; r <= 4; r++) {
		double x = x0 + plot_w * (double)r / 4, v = max * (double)r / 4;
		fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>", x, top - 4, x,
		        top + (double)rows * group_h);
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#555\">%g</text>\n", x,
		        top + (double)rows * group_h + 14, round(v * 10) / 10);
	}
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#555\">", x0 + plot_w / 2,
	        top + (double)rows * group_h + 30);
	esc(fp, unit);
	fputs("</text>\n", fp);
	for (r = 0; r < rows; r++) {
		double y = top + (double)r * group_h;
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", x0 - 8, y + (double)series * bar_h / 2 + 4);
		esc(fp, row_labels[r]);
		fputs("</text>\n", fp);
		for (s = 0; s < series; s++) {
			double v = values[r * series + s], bw = plot_w * v / max, by = y + (double)s * bar_h;
			fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>", x0, by,
			        bw, bar_h - 2, palette[s % 10]);
			esc(fp, row_labels[r]);
			if (series > 1) {
				fputs(" — ", fp);
				esc(fp, series_labels[s]);
			}
			fprintf(fp, ": %g</title></rect>", v);
			fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#333\">", x0 + bw + 4, by + bar_h - 4);
			if (value_labels && value_labels[r * series + s])
				esc(fp, value_labels[r * series + s]);
			else
				fprintf(fp, "%g", v);
			fputs("</text>\n", fp);
		}
	}
	fputs("</svg>\n", fp);
}

/* White to the theme blue, by value. */
static void shade(double f, char *out, size_t n)
{
	int r = (int)(255 - f * (255 - 0x2b)), g = (int)(255 - f * (255 - 0x5a)), b = (int)(255 - f * (255 - 0x8c));
	snprintf(out, n, "#%02x%02x%02x", r, g, b);
}

void svg_heatmap(FILE *fp, const char *title, size_t n, const char *const *labels, const double *values,
                 const char *const *texts)
{
	double label_w = 0, cell = 34, top = 40, x0, y0, w, h, max = 0;
	size_t i, j;
	char color[16];

	for (i = 0; i < n; i++)
		if (text_px(labels[i], 11) > label_w)
			label_w = text_px(labels[i], 11);
	for (i = 0; i < n * n; i++)
		if (i / n != i % n && values[i] > max)
			max = values[i];
	if (max <= 0)
		max = 1;
	x0 = 16 + label_w + 8;
	y0 = top + label_w + 8;
	/* column labels rise at 60 degrees: the last one reaches half its length to the right */
	w = x0 + (double)n * cell + 0.5 * label_w + 20;
	h = y0 + (double)n * cell + 20;
	header(fp, w, h, title);
	for (i = 0; i < n; i++) {
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">", x0 - 6,
		        y0 + (double)i * cell + cell / 2 + 4);
		esc(fp, labels[i]);
		fputs("</text>\n", fp);
		fprintf(fp, "<text transform=\"translate(%.1f,%.1f) rotate(-60)\" font-size=\"11\">",
		        x0 + (double)i * cell + cell / 2 + 4, y0 - 6);
		esc(fp, labels[i]);
		fputs("</text>\n", fp);
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			double v = values[i * n + j], f = i == j ? 0 : v / max;
			if (f > 1)
				f = 1;
			shade(f, color, sizeof color);
			fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#fff\"><title>",
			        x0 + (double)j * cell, y0 + (double)i * cell, cell, cell, i == j ? "#eeeeee" : color);
			esc(fp, labels[i]);
			fputs(" × ", fp);
			esc(fp, labels[j]);
			fputs(": ", fp);
			esc(fp, texts ? texts[i * n + j] : NULL);
			fputs("</title></rect>", fp);
			if (texts && texts[i * n + j]) {
				fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"10\" fill=\"%s\">",
				        x0 + (double)j * cell + cell / 2, y0 + (double)i * cell + cell / 2 + 4,
				        f > 0.55 ? "white" : "#222");
				esc(fp, texts[i * n + j]);
				fputs("</text>", fp);
			}
			fputc('\n', fp);
		}
	}
	fputs("</svg>\n", fp);
}

void svg_curve(FILE *fp, const char *title, size_t n, const char *const *labels, const double *bars,
               const double *line, long mark, long shade, const char *note)
{
	double label_h = 0, step = 28, plot_h = 240, top = 48, x0 = 56, max = 0, w, h, y0, note_h = note ? 34 : 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (text_px(labels[i], 11) > label_h)
			label_h = text_px(labels[i], 11);
		if (bars[i] > max)
			max = bars[i];
		if (line[i] > max)
			max = line[i];
	}
	if (max <= 0)
		max = 1;
	/* the axis up to a round number: 4 steps of a whole size */
	max = ceil(max / 4) * 4;
	w = x0 + (double)(n ? n : 1) * step + 150;
	if (note && w < text_px(note, 11) + 40)
		w = text_px(note, 11) + 40;
	y0 = top + plot_h;
	h = y0 + label_h * 0.87 + 24 + note_h;
	header(fp, w, h, title);
	if (shade > 0 && n) {
		double sw = (double)((size_t)shade < n ? (size_t)shade : n) * step;
		fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#f1f1f1\"/>", x0, top, sw, plot_h);
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#777\">base</text>\n", x0 + 4, top + 12);
	}
	for (i = 0; i <= 4; i++) {
		double y = y0 - plot_h * (double)i / 4;
		fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", x0, y,
		        x0 + (double)n * step, y, i ? "#ddd" : "#444");
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#555\">%g</text>\n", x0 - 6, y + 4,
		        max * (double)i / 4);
	}
	for (i = 0; i < n; i++) {
		double cx = x0 + ((double)i + 0.5) * step, bh = plot_h * bars[i] / max;
		fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>", cx - step * 0.35,
		        y0 - bh, step * 0.7, bh, palette[0]);
		esc(fp, labels[i]);
		fprintf(fp, ": %g new</title></rect>", bars[i]);
		fprintf(fp, "<text transform=\"translate(%.1f,%.1f) rotate(-60)\" text-anchor=\"end\" font-size=\"11\">",
		        cx + 4, y0 + 10);
		esc(fp, labels[i]);
		fputs("</text>\n", fp);
	}
	if (n) {
		fputs("<polyline fill=\"none\" stroke=\"#e15759\" stroke-width=\"2\" points=\"", fp);
		for (i = 0; i < n; i++)
			fprintf(fp, "%s%.1f,%.1f", i ? " " : "", x0 + ((double)i + 0.5) * step, y0 - plot_h * line[i] / max);
		fputs("\"/>\n", fp);
		for (i = 0; i < n; i++) {
			fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#e15759\"><title>", x0 + ((double)i + 0.5) * step,
			        y0 - plot_h * line[i] / max);
			esc(fp, labels[i]);
			fprintf(fp, ": %g in all</title></circle>", line[i]);
		}
		fputc('\n', fp);
	}
	if (mark >= 0 && (size_t)mark < n) {
		double mx = x0 + ((double)mark + 0.5) * step;
		fprintf(fp, "<line class=\"saturation\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#59a14f\""
		            " stroke-width=\"2\" stroke-dasharray=\"5,3\"/>", mx, top, mx, y0);
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#59a14f\">saturation</text>\n", mx + 4, top + 12);
	}
	/* legend */
	fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>", x0 + (double)n * step + 16,
	        top, palette[0]);
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\">new</text>\n", x0 + (double)n * step + 32, top + 10);
	fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e15759\" stroke-width=\"2\"/>",
	        x0 + (double)n * step + 16, top + 26, x0 + (double)n * step + 28, top + 26);
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\">cumulative</text>\n", x0 + (double)n * step + 32, top + 30);
	if (note) {
		fprintf(fp, "<text x=\"12\" y=\"%.1f\" font-size=\"11\" fill=\"#333\">", h - 12);
		esc(fp, note);
		fputs("</text>\n", fp);
	}
	fputs("</svg>\n", fp);
}
