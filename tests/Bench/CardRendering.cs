using System.Diagnostics;
using System.Text.Json;
using EmpowerBot.Channels.BotFramework;
using EmpowerBot.Conversation;
using EmpowerBot.Conversation.Cards;

namespace EmpowerBot.Bench;

/// <summary>
/// What one card costs to produce: every template in cards/ bound to its sample data (cards/samples) and written as
/// the UTF-8 body of an expectReplies answer, as the turn path does. Prints time and bytes allocated per card on one
/// thread, so a change to the binder shows up here before it shows up under load.
/// </summary>
public static class CardRendering
{
    public static void Run(string cardsDirectory, int iterations)
    {
        var templates = new CardTemplates(cardsDirectory);
        var renderer = new ActivityRenderer(templates);
        var to = new ConversationReference("msteams", "https://smba.trafficmanager.net/amer/", "a:1", "personal", "tenant",
            "29:rep", "Alex Wilber", "aad-rep", "28:bot", "EmpowerBot");
        Console.WriteLine($"card rendering, one thread, {iterations:N0} cards each, {Environment.ProcessorCount} cores");
        var exceptions = 0L;
        AppDomain.CurrentDomain.FirstChanceException += (_, _) => Interlocked.Increment(ref exceptions);
        Console.WriteLine("| card | reply bytes | µs/card | bytes allocated/card | exceptions/card |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        var cards = new List<(string Name, Func<byte[]> Render)>();
        foreach (var name in templates.Names.Order(StringComparer.Ordinal))
        {
            var sample = Path.Combine(cardsDirectory, "samples", $"{name}.data.json");
            if (!File.Exists(sample)) continue;
            var reply = Reply.Show(name, JsonDocument.Parse(File.ReadAllText(sample)).RootElement, name);
            cards.Add((name, () => ActivityRenderer.Serialize(new { activities = new[] { renderer.ToActivity(reply, to, "1") } })));
        }

        // Warm-up: every card until the JIT has finished its optimised (tier-1) code for all of them.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromSeconds(3))
        {
            foreach (var (_, render) in cards) render();
        }

        foreach (var (name, render) in cards)
        {
            var size = render().Length;
            var thrown = Interlocked.Read(ref exceptions);
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++) render();
            clock.Stop();
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            thrown = Interlocked.Read(ref exceptions) - thrown;
            Console.WriteLine($"| {name} | {size:N0} | {clock.Elapsed.TotalMicroseconds / iterations:0.0} | {allocated / iterations:N0} | {(double)thrown / iterations:0.#} |");
        }
    }
}
