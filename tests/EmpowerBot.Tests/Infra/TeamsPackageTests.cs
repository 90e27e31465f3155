using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using EmpowerBot.Conversation;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Infra;

/// <summary>infra/teams: the Teams app manifest, its icons and the package script.</summary>
public sealed class TeamsPackageTests
{
    private static readonly string Folder = Path.Combine(RepoPaths.Root, "infra", "teams");
    private static readonly JsonNode Manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json")))!;

    [Fact]
    public void The_manifest_has_the_required_fields_of_its_schema_version()
    {
        Assert.Equal("1.19", (string?)Manifest["manifestVersion"]);
        Assert.Contains("v1.19/MicrosoftTeams.schema.json", (string?)Manifest["$schema"]);
        foreach (var field in new[] { "version", "id", "developer", "name", "description", "icons", "accentColor", "bots", "validDomains" })
        {
            Assert.NotNull(Manifest[field]);
        }
        Assert.Equal("{{BOT_ID}}", (string?)Manifest["id"]);
        Assert.Equal("{{BOT_ID}}", (string?)Manifest["bots"]![0]!["botId"]);
        Assert.True(((string)Manifest["name"]!["short"]!).Length <= 30);
        Assert.True(((string)Manifest["description"]!["short"]!).Length <= 80);
        Assert.True(((string)Manifest["description"]!["full"]!).Length <= 4000);
    }

    [Theory]
    [InlineData("color.png", 192)]
    [InlineData("outline.png", 32)]
    public void The_icons_have_the_sizes_teams_requires(string file, int size)
    {
        var (width, height, colorType) = PngHeader(Path.Combine(Folder, file));
        Assert.Equal(size, width);
        Assert.Equal(size, height);
        Assert.Equal(6, colorType); // RGBA: the outline icon must be transparent around a white glyph
    }

    [Fact]
    public void The_outline_icon_is_white_on_transparent()
    {
        var pixels = RgbaPixels(Path.Combine(Folder, "outline.png"), 32);

        Assert.Equal(0, pixels[0][3]); // a corner is fully transparent
        Assert.All(pixels.Where(p => p[3] != 0), p => Assert.Equal([255, 255, 255, 255], p));
        Assert.Contains(pixels, p => p[3] == 255);
    }

    /// <summary>Decodes an 8-bit RGBA PNG whose rows are unfiltered (as the icons are written).</summary>
    private static List<byte[]> RgbaPixels(string path, int size)
    {
        var bytes = File.ReadAllBytes(path);
        var idat = new MemoryStream();
        for (var at = 8; at < bytes.Length;)
        {
            var length = (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
            if (System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4) == "IDAT") idat.Write(bytes, at + 8, length);
            at += 12 + length;
        }
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        var data = raw.ToArray();
        var pixels = new List<byte[]>();
        for (var y = 0; y < size; y++)
        {
            var row = y * (1 + size * 4);
            Assert.Equal(0, data[row]);
            for (var x = 0; x < size; x++) pixels.Add(data.AsSpan(row + 1 + x * 4, 4).ToArray());
        }
        return pixels;
    }

    [Fact]
    public void The_command_menu_equals_the_bot_s_command_registry()
    {
        using var bot = new BotHost();
        var registry = bot.Services.GetServices<ICommand>().Select(c => c.Info).Where(i => i.InMenu).ToList();
        var menu = Manifest["bots"]![0]!["commandLists"]![0]!["commands"]!.AsArray();

        Assert.True(registry.Count <= 10, $"Teams shows at most 10 commands; {registry.Count} are InMenu");
        Assert.All(registry, i => Assert.True(i.Name.Length <= 32 && i.Description.Length <= 128, $"'{i.Name}' is too long for the Teams menu"));
        Assert.Equal(registry.Select(i => (i.Name, i.Description)), menu.Select(c => ((string)c!["title"]!, (string)c["description"]!)));
    }

    [Fact]
    public void The_package_script_builds_a_zip_with_the_manifest_and_both_icons()
    {
        var output = Path.Combine(Path.GetTempPath(), "empowerbot-tests", Guid.NewGuid().ToString("N"), "app.zip");
        var botId = "6a1f3c2e-9d47-4b8a-a1e0-0b0e0b0e0b07";

        var run = Process.Start(new ProcessStartInfo("bash", [Path.Combine(Folder, "package.sh"), botId, "empowerbot.example.net", output])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        run.WaitForExit(60_000);

        Assert.True(run.ExitCode == 0, run.StandardError.ReadToEnd());
        using var zip = ZipFile.OpenRead(output);
        Assert.Equal(["color.png", "manifest.json", "outline.png"], zip.Entries.Select(e => e.FullName).Order());
        using var reader = new StreamReader(zip.GetEntry("manifest.json")!.Open());
        var manifest = JsonNode.Parse(reader.ReadToEnd())!;
        Assert.Equal(botId, (string?)manifest["id"]);
        Assert.Equal(botId, (string?)manifest["bots"]![0]!["botId"]);
        Assert.Equal("empowerbot.example.net", (string?)manifest["validDomains"]![0]);
        Assert.DoesNotContain("{{", manifest.ToJsonString());
    }

    [Fact]
    public void The_package_script_refuses_a_bot_id_that_is_not_a_guid()
    {
        var run = Process.Start(new ProcessStartInfo("bash", [Path.Combine(Folder, "package.sh"), "not-a-guid", "host.example.net", "/tmp/x.zip"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        run.WaitForExit(60_000);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("usage", run.StandardError.ReadToEnd());
    }

    private static (int Width, int Height, int ColorType) PngHeader(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal("\x89PNG", System.Text.Encoding.Latin1.GetString(bytes, 0, 4));
        int Int(int at) => (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
        return (Int(16), Int(20), bytes[25]);
    }
}
