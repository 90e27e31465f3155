using EmpowerBot.Bench;

// EmpowerBot benchmarks. Run in Release:
//   dotnet run -c Release --project tests/Bench -- credits [--seconds 10] [--concurrency 64]
//   dotnet run -c Release --project tests/Bench -- cards [--iterations 20000]     µs and bytes per bound card
//   dotnet run -c Release --project tests/Bench -- growth [--requests 500] [--sizes small,medium,large,10x]
//                                                   every turn's p50/p99 and CPU on tenants of growing size (default: all four)
//   DOTNET_gcServer=0 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 dotnet run -c Release --project tests/Bench -- table-calls [--calls 4000]
//                                                   caller CPU per Azure Table Storage call against Azurite (started here)
// Pieces of the HTTP load harness (tests/Bench/run.sh starts and stops them):
//   issuer  --port P --app-id ID --service-url URL   OpenID metadata + JWKS on 127.0.0.1:P; prints metadata=… and token=…
//   ceiling --port P --reply-bytes N                  a bare Kestrel endpoint answering every activity with N bytes
// Prints one table row per scenario; see docs/BENCHMARKS.md for the figures and the machine.
var command = args.FirstOrDefault() ?? "credits";
switch (command)
{
    case "credits":
        await CreditThroughput.RunAsync(TimeSpan.FromSeconds(Option(args, "--seconds", 10)), Option(args, "--concurrency", 64));
        break;
    case "cards":
        CardRendering.Run(Text(args, "--cards") ?? "cards", Option(args, "--iterations", 20_000));
        break;
    case "growth":
        await Growth.RunAsync(Option(args, "--requests", 500), Text(args, "--sizes"));
        break;
    case "table-calls":
        await TableCalls.RunAsync(Option(args, "--calls", 4000));
        break;
    case "issuer":
        await BenchTokenIssuer.RunAsync(
            Option(args, "--port", 0),
            Text(args, "--app-id") ?? "",
            Text(args, "--service-url") ?? "",
            Text(args, "--channel") ?? "msteams",
            TimeSpan.FromMinutes(Option(args, "--minutes", 60)));
        break;
    case "ceiling":
        await CeilingEndpoint.RunAsync(Option(args, "--port", 0), Option(args, "--reply-bytes", 600));
        break;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{command}'. Known: credits, cards, growth, table-calls, issuer, ceiling.");
        return 2;
}
return 0;

static string? Text(string[] args, string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static int Option(string[] args, string name, int fallback) => int.TryParse(Text(args, name), out var v) ? v : fallback;
