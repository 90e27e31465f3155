using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmpowerBot.Tests.Fixtures;

/// <summary>One log call as the app made it: the formatted message and every structured value.</summary>
public sealed record LogRecord(string Category, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, string?>> State, string? Exception)
{
    /// <summary>Everything in the record as one string, for "this never reaches the log" assertions.</summary>
    public string Everything => $"{Category} {Message} {string.Join(" ", State.Select(p => $"{p.Key}={p.Value}"))} {Exception}";
}

/// <summary>Records every log message of every level, with its structured state. Register with <see cref="AddTo"/>.</summary>
public sealed class LogRecorder : ILoggerProvider
{
    private readonly ConcurrentQueue<LogRecord> records = new();

    public IReadOnlyList<LogRecord> Records => records.ToArray();

    /// <summary>Records every level, whatever the app's own minimum.</summary>
    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton<ILoggerProvider>(this);
        services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(typeof(LogRecorder).FullName, null, LogLevel.Trace, null)));
    }

    /// <summary>Records what the app's "Logging" levels let through to any provider: what the console would print.</summary>
    public void AddAsConfiguredTo(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(this);

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void Dispose() { }

    private sealed class Recorder(LogRecorder owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => KeyValuePair.Create(p.Key, p.Value?.ToString())).ToList()
                : [KeyValuePair.Create("state", state?.ToString())];
            owner.records.Enqueue(new LogRecord(category, logLevel, formatter(state, exception), values, exception?.ToString()));
        }
    }
}
