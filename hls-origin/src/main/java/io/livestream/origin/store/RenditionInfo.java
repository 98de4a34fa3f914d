package io.livestream.origin.store;

/**
 * What the master playlist needs to know of one rendition, as of now.
 *
 * @param bandwidth peak bits per second: the larger of the transcoder's figure and the window's most expensive segment
 * @param averageBandwidth bits per second measured over the window's segments
 * @param skippedSegments segments the transcoder numbered but never sent within its sessions, since this origin
 *     started: GOPs it skipped to stay near live (overload, a restore's backlog) or lost in a failover
 */
public record RenditionInfo(String rendition, long bandwidth, long averageBandwidth, int width, int height,
                            double frameRate, String codecs, boolean ended, long skippedSegments) {}
