using EmpowerBot.Bench;

// EmpowerBot benchmarks. Run in Release:
//   dotnet run -c Release --project tests/Bench -- credits [--seconds 10] [--concurrency 64]
// Prints one table row per scenario; see docs/BENCHMARKS.md for the figures and the machine.
var command = args.FirstOrDefault() ?? "credits";
var seconds = Option(args, "--seconds", 10);
var concurrency = Option(args, "--concurrency", 64);
switch (command)
{
    case "credits":
        await CreditThroughput.RunAsync(TimeSpan.FromSeconds(seconds), concurrency);
        break;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{command}'. Known: credits.");
        return 2;
}
return 0;

static int Option(string[] args, string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
}
