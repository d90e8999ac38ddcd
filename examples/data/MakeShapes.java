import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import javax.imageio.ImageIO;

/**
 * Writes examples/data/shapes/, the image folder behind examples/image-folder.yaml: one folder per
 * class (circle, square, triangle), 150 small RGB images each (every fourth a JPEG, the rest PNG),
 * and attributes.csv with two per-image variables the network is not trained on: the shape's
 * colour (red, green, blue) and its size (small, large). Deterministic (a fixed seed).
 *
 *     java examples/data/MakeShapes.java        # a JDK 17+ runs a single source file
 */
public class MakeShapes {
    static final int SIDE = 16;
    static final int PER_CLASS = 150;

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "examples/data/shapes");
        Random rng = new Random(20261204);
        String[] classes = {"circle", "square", "triangle"};
        String[] colours = {"red", "green", "blue"};
        Color[] rgb = {new Color(220, 40, 40), new Color(40, 180, 60), new Color(50, 70, 220)};
        Files.createDirectories(root);
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(root.resolve("attributes.csv")))) {
            csv.print("file,colour,size\n");
            for (String cls : classes) {
                Files.createDirectories(root.resolve(cls));
                for (int i = 0; i < PER_CLASS; i++) {
                    int colour = rng.nextInt(3);
                    boolean large = rng.nextBoolean();
                    int r = large ? 6 : 4;
                    int cx = r + rng.nextInt(SIDE - 2 * r + 1);
                    int cy = r + rng.nextInt(SIDE - 2 * r + 1);
                    BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
                    Graphics2D g = img.createGraphics();
                    int grey = 200 + rng.nextInt(40);
                    g.setColor(new Color(grey, grey, grey));
                    g.fillRect(0, 0, SIDE, SIDE);
                    g.setColor(rgb[colour]);
                    switch (cls) {
                        case "circle" -> g.fillOval(cx - r, cy - r, 2 * r, 2 * r);
                        case "square" -> g.fillRect(cx - r + 1, cy - r + 1, 2 * r - 2, 2 * r - 2);
                        default -> g.fillPolygon(new int[] {cx - r, cx + r, cx}, new int[] {cy + r, cy + r, cy - r}, 3);
                    }
                    g.dispose();
                    String ext = i % 4 == 3 ? "jpg" : "png";
                    String file = String.format("%s/%02d.%s", cls, i, ext);
                    ImageIO.write(img, ext, root.resolve(file).toFile());
                    csv.print(file + "," + colours[colour] + "," + (large ? "large" : "small") + "\n");
                }
            }
        }
        System.out.println("wrote " + classes.length * PER_CLASS + " images to " + root);
    }
}
