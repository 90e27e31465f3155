using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace EmpowerBot.Hosting;

/// <summary>
/// Where the one appsettings.json lives: the repository root when run from a checkout (found by walking up to
/// EmpowerBot.sln), else the app's own folder (published app, which carries a copy). Relative paths in
/// configuration (the SQLite file, cards/) are relative to it.
/// </summary>
public static class AppRoot
{
    public const string SettingsFile = "appsettings.json";

    public static string Find()
    {
        if (Environment.GetEnvironmentVariable("EMPOWERBOT_ROOT") is { Length: > 0 } configured) return Path.GetFullPath(configured);
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EmpowerBot.sln")) && File.Exists(Path.Combine(dir.FullName, SettingsFile)))
                    return dir.FullName;
            }
        }
        return AppContext.BaseDirectory;
    }

    /// <summary>
    /// Points the default appsettings.json source at the app root, keeping its place in the order
    /// (environment variables and the command line still override it).
    /// </summary>
    public static void UseSettingsFrom(this IConfigurationBuilder configuration, string root)
    {
        var sources = configuration.Sources;
        var index = sources.ToList().FindIndex(s => s is JsonConfigurationSource j && j.Path == SettingsFile);
        var source = new JsonConfigurationSource
        {
            Path = SettingsFile,
            Optional = false,
            ReloadOnChange = false,
            FileProvider = new PhysicalFileProvider(root),
        };
        if (index >= 0)
            sources[index] = source;
        else
            sources.Insert(0, source);
    }

    /// <summary>A configured path made absolute against the app root.</summary>
    public static string Resolve(string root, string path) => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(root, path));
}
