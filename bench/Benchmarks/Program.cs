using AiGatewayModels.Benchmarks;
using AiGatewayModels.Engine;
using AiGatewayModels.Engine.Input;
using AiGatewayModels.Engine.Rendering;
using BenchmarkDotNet.Running;

// `generate N FILE [LIMITS]` writes generated values for the whole-process measurements ('-' for stdout; LIMITS: None,
// Kuadrant or EnvoyGateway, see GeneratedLimits); `check N [LIMITS]` evaluates them in-process and prints the counts;
// `phases N [ROUNDS [LIMITS]]` times each step of the evaluation;
// `evaluate N ROUNDS` only evaluates, ROUNDS times, for a profiler (perf record, valgrind) to look at;
// anything else goes to BenchmarkDotNet's switcher (e.g. --filter '*' --job short).
static GeneratedLimits Limits(string[] rest) => rest is [var name] ? Enum.Parse<GeneratedLimits>(name, ignoreCase: true) : GeneratedLimits.None;

if (args is ["generate", var count, var path, .. var generateRest])
{
    var text = ValuesGenerator.Generate(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), Limits(generateRest));
    if (path == "-")
    {
        Console.Out.Write(text);
    }
    else
    {
        File.WriteAllText(path, text);
    }

    return 0;
}

if (args is ["helm", var helmRounds])
{
    // Reads the Helm-style values of HelmValuesBenchmarks ROUNDS times after a warm-up: a quick check of issue 13's target.
    var rounds = int.Parse(helmRounds, System.Globalization.CultureInfo.InvariantCulture);
    var full = AiGatewayModels.Engine.Yaml.YamlLimits.Default with { UseBlockParser = false };
    foreach (var (anchors, limits, name) in new[] { (false, AiGatewayModels.Engine.Yaml.YamlLimits.Default, "written out"), (false, full, "written out, YamlDotNet"), (true, AiGatewayModels.Engine.Yaml.YamlLimits.Default, "anchored") })
    {
        var text = HelmValuesBenchmarks.HelmStyle(anchors);
        var lines = text.Count(c => c == '\n');
        for (var i = 0; i < 50; i++)
        {
            _ = AiGatewayModels.Engine.Yaml.BoundedYamlReader.Read(text, "the values", limits);
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < rounds; i++)
        {
            _ = AiGatewayModels.Engine.Yaml.BoundedYamlReader.Read(text, "the values", limits);
        }

        var perRead = watch.Elapsed.TotalMilliseconds / rounds;
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{name}: {lines} lines, {perRead:F3} ms per read, {perRead * 100 / lines:F3} ms per 100 lines"));
    }

    return 0;
}

if (args is ["phases", var size, .. var rest])
{
    var rounds = rest is [var r, ..] ? int.Parse(r, System.Globalization.CultureInfo.InvariantCulture) : 400;
    PhaseTimer.Run(int.Parse(size, System.Globalization.CultureInfo.InvariantCulture), rounds, Console.Out, Limits(rest.Skip(1).ToArray()));
    return 0;
}

if (args is ["evaluate", var models, var times])
{
    var document = new ValuesDocument("team-a", "models", ValuesGenerator.Generate(int.Parse(models, System.Globalization.CultureInfo.InvariantCulture)));
    var stopwatch = System.Diagnostics.Stopwatch.StartNew();
    var rounds = int.Parse(times, System.Globalization.CultureInfo.InvariantCulture);
    for (var i = 0; i < rounds; i++)
    {
        _ = ValuesEvaluator.Evaluate(document);
    }

    Console.WriteLine($"{rounds} evaluations of {models} models: {stopwatch.Elapsed.TotalMilliseconds / rounds:F3} ms each");
    return 0;
}

if (args is ["check", var n, .. var checkRest])
{
    var evaluation = ValuesEvaluator.Evaluate(new ValuesDocument("team-a", "models", ValuesGenerator.Generate(int.Parse(n, System.Globalization.CultureInfo.InvariantCulture), Limits(checkRest))));
    foreach (var d in evaluation.Diagnostics)
    {
        Console.Error.WriteLine(d);
    }

    if (evaluation.Model is not { } model)
    {
        return 1;
    }

    Console.WriteLine($"{n} models ({Limits(checkRest)} limits): valid, {evaluation.Diagnostics.Count} finding(s), {model.Backends.Count} backends, {Renderer.Render(model).Objects.Count} objects");
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(EngineBenchmarks).Assembly).Run(args);
return 0;
