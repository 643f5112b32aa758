using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace AiGatewayModels.Common.Metrics;

/// <summary>
/// The one Prometheus writer (text exposition format 0.0.4) of both programs: it listens to the instruments of one
/// <see cref="Meter"/> (System.Diagnostics.Metrics) and renders them on request. An instrument's name is the metric's
/// name, its description the HELP text; counters sum, observable instruments report their callbacks' values at each
/// render, histograms use the bucket boundaries of their advice. A series exists from its first measurement: code that
/// wants an unlabelled counter seen at 0 (alerts on rate() need it) adds 0 when it creates it. No reflection and no dependency (an OpenTelemetry exporter would bring a
/// hosting stack into the Native AOT binaries for one text format).
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private readonly Meter meter;
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<Instrument, Series> instruments = new();
    private readonly ConcurrentQueue<Instrument> order = new(); // publication order: the order of the text
    private readonly Lock collect = new();

    public PrometheusExporter(Meter meter)
    {
        this.meter = meter;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == this.meter && instruments.TryAdd(instrument, Series.For(instrument)))
            {
                order.Enqueue(instrument);
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    /// <summary>Every instrument of the meter, observable ones read now.</summary>
    public string Render()
    {
        var sb = new StringBuilder(4096);
        lock (collect)
        {
            foreach (var series in instruments.Values)
            {
                series.BeginCollection();
            }

            listener.RecordObservableInstruments();
            foreach (var instrument in order)
            {
                instruments[instrument].Write(sb, instrument);
            }
        }

        return sb.ToString();
    }

    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (instruments.TryGetValue(instrument, out var series))
        {
            series.Record(new TagSet(tags), value);
        }
    }

    /// <summary>The values of one instrument, by label set.</summary>
    private abstract class Series
    {
        protected ConcurrentDictionary<TagSet, Cell> Cells { get; } = new();

        public static Series For(Instrument instrument) => instrument switch
        {
            Histogram<double> h => new HistogramSeries(h.Advice?.HistogramBucketBoundaries ?? [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]),
            Histogram<long> h => new HistogramSeries(h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray() ?? [1, 10, 100, 1000]),
            _ when instrument.IsObservable => new ObservedSeries(instrument is ObservableCounter<long> or ObservableCounter<double> or ObservableCounter<int> ? "counter" : "gauge"),
            Counter<long> or Counter<double> or Counter<int> => new SumSeries("counter"),
            _ => new SumSeries("gauge"), // up-down counters
        };

        public abstract void Record(TagSet tags, double value);

        /// <summary>Observable instruments report afresh at each collection: a label set that is not reported any more goes.</summary>
        public virtual void BeginCollection()
        {
        }

        public abstract void Write(StringBuilder sb, Instrument instrument);

        protected static void Header(StringBuilder sb, Instrument instrument, string type) =>
            sb.Append("# HELP ").Append(instrument.Name).Append(' ').Append(instrument.Description).Append('\n')
              .Append("# TYPE ").Append(instrument.Name).Append(' ').Append(type).Append('\n');

        protected IEnumerable<KeyValuePair<TagSet, Cell>> Sorted() => Cells.OrderBy(c => c.Key.Text, StringComparer.Ordinal);
    }

    private sealed class SumSeries(string type) : Series
    {
        public override void Record(TagSet tags, double value) => Cells.GetOrAdd(tags, _ => new Cell()).Add(value);

        public override void Write(StringBuilder sb, Instrument instrument)
        {
            Header(sb, instrument, type);
            foreach (var (tags, cell) in Sorted())
            {
                Sample(sb, instrument.Name, tags.Text, cell.Value);
            }
        }
    }

    private sealed class ObservedSeries(string type) : Series
    {
        public override void Record(TagSet tags, double value) => Cells.GetOrAdd(tags, _ => new Cell()).Set(value);

        public override void BeginCollection() => Cells.Clear();

        public override void Write(StringBuilder sb, Instrument instrument)
        {
            Header(sb, instrument, type);
            foreach (var (tags, cell) in Sorted())
            {
                Sample(sb, instrument.Name, tags.Text, cell.Value);
            }
        }
    }

    private sealed class HistogramSeries(IReadOnlyList<double> bounds) : Series
    {
        private readonly ConcurrentDictionary<TagSet, Buckets> buckets = new();

        public override void Record(TagSet tags, double value) => buckets.GetOrAdd(tags, _ => new Buckets(bounds.Count)).Observe(bounds, value);

        public override void Write(StringBuilder sb, Instrument instrument)
        {
            Header(sb, instrument, "histogram");
            foreach (var (tags, b) in buckets.OrderBy(c => c.Key.Text, StringComparer.Ordinal))
            {
                var prefix = tags.Text.Length == 0 ? string.Empty : tags.Text + ",";
                long cumulative = 0;
                for (var i = 0; i < bounds.Count; i++)
                {
                    cumulative += Interlocked.Read(ref b.Counts[i]);
                    Sample(sb, instrument.Name + "_bucket", prefix + "le=\"" + bounds[i].ToString(CultureInfo.InvariantCulture) + "\"", cumulative);
                }

                cumulative += Interlocked.Read(ref b.Counts[bounds.Count]);
                Sample(sb, instrument.Name + "_bucket", prefix + "le=\"+Inf\"", cumulative);
                Sample(sb, instrument.Name + "_sum", tags.Text, b.Sum);
                Sample(sb, instrument.Name + "_count", tags.Text, cumulative);
            }
        }
    }

    private static void Sample(StringBuilder sb, string name, string labels, double value)
    {
        sb.Append(name);
        if (labels.Length > 0)
        {
            sb.Append('{').Append(labels).Append('}');
        }

        sb.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <summary>A value updated from many threads: a sum or the last observation.</summary>
    private sealed class Cell
    {
        private double value;

        public double Value => Volatile.Read(ref value);

        public void Set(double v) => Volatile.Write(ref value, v);

        public void Add(double v)
        {
            double seen, next;
            do
            {
                seen = Volatile.Read(ref value);
                next = seen + v;
            }
            while (Interlocked.CompareExchange(ref value, next, seen) != seen);
        }
    }

    private sealed class Buckets(int bounds)
    {
        private readonly Cell sum = new();

        public long[] Counts { get; } = new long[bounds + 1];

        public double Sum => sum.Value;

        public void Observe(IReadOnlyList<double> bounds, double value)
        {
            var i = 0;
            while (i < bounds.Count && value > bounds[i])
            {
                i++;
            }

            Interlocked.Increment(ref Counts[i]);
            sum.Add(value);
        }
    }
}
